"""The network fabric as graphs: generators, routes and media, per-scenario figures.

:mod:`~rackval.fabric.generators` expands a ``generate:`` block into links;
:mod:`~rackval.fabric.graph` builds the networkx graph of every fabric (once per design);
:mod:`~rackval.fabric.cables` routes cables and chooses ``media: auto``;
:mod:`~rackval.fabric.analysis` computes oversubscription, bisection and single points of
failure; :mod:`~rackval.fabric.schedule` lists the cables. ``docs/fabric.md`` explains
the model.
"""
