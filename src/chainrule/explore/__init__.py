"""``chainrule.explore``: the chain rule playground, a local web app.

``chainrule explore`` serves a page with three panels: the step-by-step derivative of
an expression (rendered with a KaTeX that ships in ``static/``, so the page needs no
internet), its computation graph at a point (the :func:`chainrule.viz.draw` picture),
and the one-hidden-layer digits network trained step by step.

This layer sits above :mod:`chainrule.symbolic` and :mod:`chainrule.viz` and uses only
their public functions. The server (Starlette and uvicorn, the ``explore`` extra) is
imported when the app is created, so importing this package needs neither.

* :mod:`.expression`: one expression at one point, as JSON data;
* :mod:`.worker`: a stoppable process that bounds the time of symbolic work;
* :mod:`.network`: the network session behind the Network panel;
* :mod:`.app`: the routes; :mod:`.server`: binding to 127.0.0.1 and serving.
"""

from __future__ import annotations

from chainrule.explore.app import create_app
from chainrule.explore.server import serve

__all__ = ["create_app", "serve"]
