"""alliance-kit: learn, practise and reflect on the working alliance with mandated clients."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("alliance-kit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
