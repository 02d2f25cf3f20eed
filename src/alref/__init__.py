"""alref: electrolytic refining of aluminium scrap into primary-grade aluminium.

The package is layered; data flows one way (see ARCHITECTURE.md §2):
data -> materials -> properties -> thermo -> cell -> campaign -> assess/optimize/study
-> report/cli.
"""

__version__ = "0.1.0"
