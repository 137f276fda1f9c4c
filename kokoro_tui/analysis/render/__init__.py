"""The analysis's rendering layer: turns the analysis data objects into files and terminal plots.

``figures_*`` draw matplotlib PNGs (Agg, no pyplot state), ``summary`` writes the readable
reports, ``terminal`` draws plotext plots, ``writer`` puts a whole analysis on disk.
Nothing here computes a statistic: every number comes from ``kokoro_tui.analysis``.
"""
