"""The tables and plots of `benchmarks/identification.py --scale` (see scale/rules.py for
what is measured): every rule at every gallery size, LFW and non-LFW apart; women and men
apart with 95% Wilson intervals; strangers named and probes named against gallery size,
one line per rule, as a PNG per engine."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np

from benchmarks.scale.faces import encoded_set
from benchmarks.scale.rules import NON_LFW, RULES, Outcome, Tally, measure

DEFAULT_RULE = "size-aware (default)"
BEFORE_RULE = "one tolerance (before)"


def wilson(successes: float, trials: float, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion: sound near 0% and with few trials,
    where the normal approximation gives negative lower bounds."""
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / (
        1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def share(count: int, total: int) -> str:
    return f"{count / total:.1%}" if total else "-"


def with_interval(count: int, total: int, draws: int = 1) -> str:
    """The share with its 95% interval. Galleries drawn several times count the same
    photos once per draw, so the interval is taken over one draw's worth of photos."""
    low, high = wilson(count / draws, total / draws)
    return f"{share(count, total)} ({low:.1%}–{high:.1%})"


def _in_order(outcomes: dict[tuple[str, str, int], Outcome]) -> list[tuple[tuple[str, str, int],
                                                                        Outcome]]:
    """By gallery size, then the rules in RULES' order (both agree last)."""
    order = [*RULES, "both agree"]
    return sorted(outcomes.items(), key=lambda item: (item[0][2], order.index(item[0][1])))


def rule_table(outcomes: dict[tuple[str, str, int], Outcome], engine: str) -> list[str]:
    """Markdown rows: each rule at each size, LFW and non-LFW apart."""
    lines = ["| people | rule | LFW named right | named wrong | strangers named "
             "| non-LFW named right | named wrong | strangers named |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for (owner, rule, size), outcome in _in_order(outcomes):
        if owner != engine and not (owner == "both" and engine == "sface"):
            continue
        cells = []
        draws = f" in {outcome.draws} draws" if outcome.draws > 1 else ""
        for group in ("LFW", NON_LFW):
            probes, strangers = outcome.probes[group], outcome.strangers[group]
            cells += [share(probes.right, probes.photos), share(probes.wrong, probes.photos),
                      f"{share(strangers.wrong, strangers.photos)} "
                      f"({strangers.wrong} of {strangers.photos}{draws})"]
        lines.append(f"| {size:,} | {rule} | " + " | ".join(cells) + " |")
    return lines


def sex_table(outcomes: dict[tuple[str, str, int], Outcome], engine: str) -> list[str]:
    """Markdown rows: women and men apart under the rule before and the default, with
    95% intervals, and the ratio of the worse group's rate to the better one's."""
    lines = ["| people | rule | group | own photos not named | named wrongly "
             "| strangers named |", "| --- | --- | --- | --- | --- | --- |"]
    for (owner, rule, size), outcome in _in_order(outcomes):
        if owner != engine or rule not in (BEFORE_RULE, DEFAULT_RULE):
            continue
        for group in ("women", "men"):
            probes, strangers = outcome.probes[group], outcome.strangers[group]
            lines.append(f"| {size:,} | {rule} | {group} | "
                         f"{with_interval(probes.unnamed, probes.photos, outcome.draws)} | "
                         f"{with_interval(probes.wrong, probes.photos, outcome.draws)} | "
                         f"{with_interval(strangers.wrong, strangers.photos, outcome.draws)} |")
        lines.append(f"| {size:,} | {rule} | women / men | "
                     f"{ratio(outcome.probes, 'unnamed')} | {ratio(outcome.probes, 'wrong')} | "
                     f"{ratio(outcome.strangers, 'wrong')} |")
    return lines


def ratio(tallies: dict[str, Tally], what: str) -> str:
    women, men = (getattr(tallies[g], what) / max(1, tallies[g].photos) for g in ("women", "men"))
    return f"{women / men:.2f}×" if men else "-"


def plot(outcomes: dict[tuple[str, str, int], Outcome], engine: str, path: Path) -> None:
    """Two panels against gallery size (log scale): strangers named (LFW) and LFW probes
    named right, one line per rule."""
    width, height, pad = 1000, 460, 60
    image = np.full((height, width, 3), 255, np.uint8)
    rules = [r for r in RULES] + (["both agree"] if engine == "sface" else [])
    colours = [(0, 0, 200), (0, 150, 0), (200, 120, 0), (160, 0, 160), (0, 140, 220),
               (120, 120, 120), (40, 40, 40)]
    sizes = sorted({size for (_, _, size) in outcomes})
    def named_right(outcome: Outcome) -> float:
        return outcome.probes["LFW"].right / outcome.probes["LFW"].photos

    lowest = min(named_right(o) for (owner, _, _), o in outcomes.items() if owner == engine)
    panels = (("strangers named", lambda o: o.strangers["LFW"].wrong / o.strangers["LFW"].photos,
               0.0, 0.08, 0.01),
              ("probes named right", named_right, min(0.8, math.floor(lowest * 10) / 10), 1.0,
               0.95))
    panel_width = (width - 3 * pad) // 2
    for number, (title, value, low, high, target) in enumerate(panels):
        left = pad + number * (panel_width + pad)

        def at(size: int, rate: float, left: int = left, low: float = low,
               high: float = high) -> tuple[int, int]:
            x = (math.log10(size) - math.log10(sizes[0])) / (
                math.log10(sizes[-1]) - math.log10(sizes[0]))
            y = (min(max(rate, low), high) - low) / (high - low)
            return (left + int(x * panel_width), height - pad - int(y * (height - 2 * pad)))

        cv2.rectangle(image, at(sizes[0], low), at(sizes[-1], high), (0, 0, 0), 1)
        cv2.line(image, at(sizes[0], target), at(sizes[-1], target), (180, 180, 180), 1)
        cv2.putText(image, f"{title} (LFW), {engine}", (left, pad - 20), cv2.FONT_HERSHEY_SIMPLEX,
                    0.55, (0, 0, 0), 1, cv2.LINE_AA)
        for tick in np.linspace(low, high, 5):
            cv2.putText(image, f"{tick:.0%}", (left - 45, at(sizes[0], tick)[1] + 5),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
        for size in sizes:
            cv2.putText(image, f"{size:,}", (at(size, low)[0] - 15, height - pad + 18),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
        for index, rule in enumerate(rules):
            owner = "both" if rule == "both agree" else engine
            points = [at(size, value(outcomes[owner, rule, size])) for size in sizes
                      if (owner, rule, size) in outcomes]
            colour = colours[index % len(colours)]
            cv2.polylines(image, [np.array(points, np.int32)], False, colour,
                          3 if rule == DEFAULT_RULE else 1, cv2.LINE_AA)
            if number == 0:
                cv2.putText(image, rule, (left + 10, pad + 18 + 18 * index),
                            cv2.FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, cv2.LINE_AA)
    cv2.putText(image, "people enrolled, one photo each (log scale); grey line: the target",
                (pad, height - 15), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)


def report(engines: tuple[str, ...], plot_dir: Path | None) -> None:
    """Measure every rule for `engines` and print the tables (and write the plots)."""
    outcomes = measure({engine: encoded_set(engine) for engine in engines})
    for engine in engines:
        print(f"\n## {engine}: every rule at every gallery size\n")
        print("\n".join(rule_table(outcomes, engine)))
        print(f"\n## {engine}: women and men apart (LFW), 95% intervals\n")
        print("\n".join(sex_table(outcomes, engine)))
        if plot_dir is not None:
            path = plot_dir / f"identification_scale_{engine}.png"
            plot(outcomes, engine, path)
            print(f"\nplot: {path}")
