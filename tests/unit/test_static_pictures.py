"""Where the pre-render's pictures go in a static page (datalk.app.static_site.pictures)."""

from __future__ import annotations

from datalk.app.static_site.pictures import Picture, insert, picture_markup

PAGE = (
    '<p>text</p><div class="dl-island" data-dl-model="aa11" style="min-height: 340px">'
    '<script type="application/vnd.jupyter.widget-view+json">{}</script></div>'
    '<div class="dl-island" data-dl-model="bb22"><script>{}</script></div>'
)


def markup(name: str) -> str:
    return picture_markup("/tema/_static/", {
        "desktop": Picture(f"pictures/{name}-d.webp", 1104, 344),
        "phone": Picture(f"pictures/{name}-p.webp", 330, 344),
    }, f"model-{name}")


def test_each_island_gets_its_own_picture_before_the_widget_script():
    page, placed = insert(PAGE, {"aa11": markup("a"), "bb22": markup("b")})
    assert placed == 2
    first, second = page.split('data-dl-model="bb22"')
    assert first.index("a-d.webp") < first.index("<script") and "b-d.webp" not in first
    assert second.index("b-d.webp") < second.index("<script")


def test_the_phone_picture_is_chosen_by_width_and_the_picture_is_decoration():
    html = markup("a")
    assert '<source media="(max-width: 600px)" srcset="/tema/_static/pictures/a-p.webp"' in html
    assert '<img src="/tema/_static/pictures/a-d.webp" alt="" width="1104" height="344"' in html
    assert 'aria-hidden="true"' in html, "the text alternative next to the chart says it already"


def test_a_new_rendering_replaces_old_pictures_and_an_island_without_one_stays_as_it_was():
    page, _ = insert(PAGE, {"aa11": markup("old"), "bb22": markup("old2")})
    again, placed = insert(page, {"aa11": markup("new")})
    assert placed == 1
    assert "old" not in again and again.count("new-d.webp") == 1
    assert '<div class="dl-island" data-dl-model="bb22"><script>' in again
