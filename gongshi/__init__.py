"""gongshi (公示): turn records of publicly funded projects into a static transparency website."""

__version__ = "0.1.0"
