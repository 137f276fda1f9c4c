"""The dashboard's panes, one module each: voices, map, speak, training, analysis."""
