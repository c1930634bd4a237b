"""rca_desk: root cause analysis workshops on one cause graph per incident.

The package is layered (see DESIGN.md): ``model`` and ``layout`` are pure Python,
``store`` and ``interchange`` persist and exchange the model, ``render``/``ui`` draw it
with Qt, and ``cli`` is the ``rca-desk`` command.
"""

__version__ = "0.1.0"
