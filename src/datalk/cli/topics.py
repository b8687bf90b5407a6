"""``datalk topics list|notebooks``: the thematic areas from the command line."""

from __future__ import annotations

import click


@click.group()
def topics() -> None:
    """Témata portálu: seznam, notebooky."""


@topics.command("list")
def topics_list() -> None:
    """Vypíše témata v pořadí navigace."""
    from datalk.topics import all_topics

    for topic in all_topics():
        click.echo(f"{topic.order:>2}  {topic.id:<22} {topic.title.cs}")


@topics.command("notebooks")
def topics_notebooks() -> None:
    """Znovu vygeneruje tenké notebooky všech témat z jejich YAML."""
    from datalk.settings import get_settings
    from datalk.topics import all_topics
    from datalk.topics.scaffold import write_notebook

    for topic in all_topics():
        click.echo(write_notebook(topic, get_settings().notebooks_dir))


@topics.command("new")
@click.argument("topic_id")
@click.option("--title", default=None, help="Český název tématu (jinak zástupný text k úpravě).")
@click.option("--order", type=int, default=None, help="Pořadí v navigaci (výchozí: za posledním tématem).")
@click.option("--force", is_flag=True, help="Přepsat existující YAML a notebook tématu.")
def topics_new(topic_id: str, title: str | None, order: int | None, force: bool) -> None:
    """Založí nové téma: topics/ID.yaml (funkční vzor se skutečnými daty ČSÚ) a jeho notebook."""
    from datalk.settings import get_settings
    from datalk.topics.registry import clear_cache
    from datalk.topics.scaffold import EDIT_ME, new_topic

    settings = get_settings()
    yaml_path, notebook_path = new_topic(topic_id, settings.topics_dir, settings.notebooks_dir,
                                         title=title, order=order, force=force)
    clear_cache()
    click.echo(f"Vytvořeno: {yaml_path}")
    click.echo(f"Vytvořeno: {notebook_path}")
    click.echo(
        "Další kroky:\n"
        f"  1. V {yaml_path.name} přepište vše označené „{EDIT_ME}“ a vzorový ukazatel nahraďte svými (docs/topics.md).\n"
        "  2. Po každé změně grafů: datalk topics notebooks  (přegeneruje tenké notebooky)\n"
        f"  3. Náhled: python tools/preview_topic.py {topic_id} --out /tmp/{topic_id}\n"
        "  4. Kontrola: pytest tests/contract -q  a  python tools/readme_badges.py  (odkazy do Binderu v README)"
    )
