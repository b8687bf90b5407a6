"""The printed summary of a bench run: ours vs default Voilà, ratio, target, met or missed."""

from __future__ import annotations


def _s(value, unit: str = "s", digits: int = 2) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value:.{digits}f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "score":
        return f"{value:.2f}"
    return f"{value}{unit}"


def _ratio(base, ours, higher_is_better: bool = False) -> str:
    if not base or not ours:
        return "–"
    value = ours / base if higher_is_better else base / ours
    return f"{value:.1f}×"


def _met(ok) -> str:
    return "–" if ok is None else ("met" if ok else "MISSED")


def render(results: dict) -> str:
    rows: list[tuple[str, str, str, str, str, str]] = []
    pages = results.get("pages", {})
    base = pages.get("voila_cold", {}).get("all", {})

    def page_row(label, mode, target=None, factor=None):
        stats = pages.get(mode, {}).get("all")
        if not stats:
            return
        median, p95 = stats.get("median"), stats.get("p95")
        ok = None
        if target is not None and median is not None:
            ok = median <= target
            if factor and base.get("median"):
                ok = ok and base["median"] / median >= factor
        errors = pages[mode].get("errors")
        label = f"{label} (n={stats['n']}{', errors ' + str(errors) if errors else ''})"
        target_text = (f"≤ {target:.1f} s" + (f", ≥{factor}× Voilà" if factor else "")) if target else ""
        rows.append((label, f"{_s(median)} (p95 {_s(p95)})", f"{_s(base.get('median'))} (p95 {_s(base.get('p95'))})",
                     _ratio(base.get("median"), median), target_text, _met(ok)))

    page_row("Default view, static /tema/<id>", "static", 1.0, 3)
    page_row("Default view, static, returning visitor", "static_warm", 1.0, 3)
    page_row("Default view, static, quiet server (no pool)", "static_quiet", 1.0, 3)
    page_row("Default view, static, quiet server, returning visitor", "static_warm_quiet", 1.0, 3)
    for mode in ("static", "static_quiet"):
        live = pages.get(mode, {}).get("live")
        if live:
            shown = ", ".join(pages[mode].get("shown_as", []))
            after = pages[mode].get("live_after_input") or {}
            rows.append((f"  {mode}: live widgets drawn (hover, click) [shown as {shown}; "
                         f"{_s(after.get('median'))} after the first input]",
                         f"{_s(live['median'])} (p95 {_s(live['p95'])})", f"{_s(base.get('median'))}",
                         _ratio(base.get("median"), live["median"]), "", "–"))
    page_row("Live page, preheated kernel (default view)", "preheated", 2.0)
    page_row("Live page, preheated kernel, with ?territory=", "preheated_params", 2.0)
    page_row("Live page, cold kernel (our template)", "cold")
    for mode in ("preheated", "cold"):
        left = pages.get(mode, {}).get("kernels_left_after_leaving")
        if left is not None:
            voila_left = pages.get("voila_cold", {}).get("kernels_left_after_leaving")
            rows.append((f"Kernels left running after the visitor left ({mode})", str(left), str(voila_left),
                         "", "0", _met(left == 0)))
            break

    light = results.get("lighthouse", {}).get("pages", {})
    for name, row in light.items():
        ours, voila = row.get("ours") or {}, row.get("voila") or {}
        for category, target in (("performance", 0.90), ("accessibility", 1.0)):
            value = ours.get(category)
            rows.append((f"Lighthouse {category}: {name}", _s(value, "score"), _s(voila.get(category), "score"),
                         _ratio(voila.get(category), value, higher_is_better=True), f"≥ {target:.2f}",
                         _met(None if value is None else value >= target - 1e-9)))

    memory = results.get("memory", {})
    voila_mem = (memory.get("voila") or {}).get("summary", {})
    for mode, label in (("preheated", "preheated pool"), ("cold", "cold kernel")):
        summary = (memory.get(mode) or {}).get("summary")
        if not summary:
            continue
        for key in ("rss_mb", "uss_mb", "pss_mb"):
            value = summary[key]["median"]
            target = key == "rss_mb"
            rows.append((f"Kernel memory per live session, {key[:3].upper()} median ({label}, max "
                         f"{_s(summary[key]['max'], 'MB')})", _s(value, "MB"), _s(voila_mem.get(key, {}).get("median"), "MB"),
                         _ratio(voila_mem.get(key, {}).get("median"), value), "≤ 150 MB" if target else "",
                         _met(value <= 150 if (target and value is not None) else None)))
    idle = memory.get("pool_idle")
    if idle and idle.get("kernels"):
        rows.append((f"Idle preheated kernel ({idle['kernels']} in the pool), RSS median",
                     _s(idle["summary"]["rss_mb"]["median"], "MB"), "", "", "", ""))

    for crowd in results.get("load", []):
        if "visitors" not in crowd:
            continue
        who = "default Voilà" if crowd["server"] == "voila" else "ours"
        time = crowd.get("time", {})
        target = crowd["visitors"] == 50 and who == "ours"
        ok = (crowd["errors"] == 0 and (time.get("p95") or 1e9) <= 5.0) if target else None
        rows.append((f"{crowd['visitors']} concurrent visitors, {crowd['kind']} ({who}): p50 / p95, errors",
                     f"{_s(time.get('median'))} / {_s(time.get('p95'))}, {crowd['errors']} err", "", "",
                     "0 errors, p95 ≤ 5 s" if target else "", _met(ok)))

    fetch = results.get("fetch", {})
    if fetch.get("seconds"):
        rows.append(("Fetch all sources from the mirror", _s(fetch["seconds"]["median"], digits=1), "n/a", "", "", ""))
    imports = results.get("imports", {})
    if imports.get("seconds"):
        rows.append(("Import datalk.app.interactive (fresh interpreter)", _s(imports["seconds"]["median"]), "n/a",
                     "", "", ""))
    for mode, summary in (results.get("notebooks", {}).get("summary") or {}).items():
        wall, cells = summary["wall_s"], summary["cells_s"]
        if not wall.get("n"):
            continue
        rows.append((f"Topic notebook, {mode} mode, Papermill (n={wall['n']}): median / max",
                     f"{_s(wall['median'])} / {_s(wall['max'])}", "n/a", "", "≤ 5.0 s each",
                     _met(not summary["over_target"] and not summary["errors"])))
        rows.append((f"  … cells alone (warm kernel), {mode} mode: median / max",
                     f"{_s(cells['median'])} / {_s(cells['max'])}", "", "", "", ""))
    prerender = results.get("prerender", {})
    if prerender.get("wall_s"):
        rows.append(("Pre-render all static pages (2 jobs)", _s(prerender["wall_s"], digits=0), "n/a", "", "",
                     prerender.get("summary", "")[:40]))
    reports = results.get("reports", {})
    if reports.get("wall_s"):
        rows.append((f"20 topic reports ({'+'.join(reports.get('formats', []))}, {reports.get('jobs')} jobs)",
                     _s(reports["wall_s"], digits=1), "n/a", "", "≤ 60 s", _met(reports["wall_s"] <= 60)))

    headers = ("figure", "datalk", "default Voilà", "ratio", "target", "")
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(6)]
    lines = ["", "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    machine = results.get("machine", {})
    lines.append(f"\nmachine: {machine.get('cpus')} CPU, {machine.get('memory_gib')} GiB; load at start "
                 f"{machine.get('load')}; ratio = default Voilà / datalk (time, memory) or datalk / Voilà (scores)")
    return "\n".join(lines)
