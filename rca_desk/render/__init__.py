"""Drawing a laid-out diagram with Qt (canvas, PNG, PDF) or as SVG, and exporting it."""
