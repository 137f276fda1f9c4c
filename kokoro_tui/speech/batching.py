"""Many texts' chunks through the model a padded batch at a time (``Pipeline.synthesize_many``).

Why: a model call has a cost that a short clip does not repay alone (Python and kernel-launch overhead, and on a
GPU a device mostly idle on one utterance); a batch shares it. A batch is padded to its longest item, and the
padding is computed and thrown away, so the chunks of all the texts are gathered and sorted by token count first:
a batch holds chunks of about one length. The longest go first, so that a batch too big for the memory fails at
once, not after the rest. Batches are cut at ``batch_size`` items, and every output goes back to its text and its
place in it. The sort is stable (equal counts keep the input order): the same items and batch size make the same
batches, so that seeded noise drawn per batch repeats run to run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Output = TypeVar("Output")


def batches(sizes: Sequence[int], batch_size: int) -> list[list[int]]:
    """Positions in ``sizes``, largest size first (ties in order), cut into runs of at most ``batch_size``."""
    order = sorted(range(len(sizes)), key=lambda position: -sizes[position])
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def run_grouped(
    groups: Sequence[Sequence[Item]],
    size: Callable[[Item], int],
    batch_size: int,
    run: Callable[[list[Item], int], Sequence[Output]],
) -> list[list[Output]]:
    """Every group's outputs in the order of its items. The items of all groups are batched together by ``size``,
    and ``run(items, number)`` answers one batch, ``number`` counting the batches from 0 (for a seed)."""
    items = [item for group in groups for item in group]
    outputs: list[Output | None] = [None] * len(items)
    for number, positions in enumerate(batches([size(item) for item in items], batch_size)):
        for position, output in zip(positions, run([items[position] for position in positions], number), strict=True):
            outputs[position] = output
    return regroup(outputs, [len(group) for group in groups])  # type: ignore[arg-type]  # every one answered


def regroup(flat: Sequence[Output], counts: Sequence[int]) -> list[list[Output]]:
    """``flat`` cut back into consecutive groups of ``counts`` items."""
    remaining = iter(flat)
    return [[next(remaining) for _ in range(count)] for count in counts]
