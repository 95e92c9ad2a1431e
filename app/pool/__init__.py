"""The spawned worker processes of the service: validation, batch checking and PDF rendering.

Saxon must not cross a fork and WeasyPrint is capped by the address space of the process it runs in, so
each runs in fresh interpreters (``spawn``) that serve their parent only. What every such worker has in
common is written here once:

- :mod:`app.pool.lifeline`: a worker ends with its parent, however the parent ends (``kill -9`` included);
- :mod:`app.pool.process`: the start of a worker (its parent-death signal, Ctrl-C left to the parent, the
  ``RLIMIT_AS`` cap), its pipe protocol, its exit reason, the shutdown, and the one start-failure policy
  (:class:`~app.pool.process.StartFailures`: :data:`~app.pool.process.MAX_START_FAILURES` workers in a row
  dead before any came up means a broken installation, :class:`~app.pool.process.WorkerStartError`);
- :mod:`app.pool.executor`: a :class:`~concurrent.futures.ProcessPoolExecutor` of such workers, replaced
  whole when one dies.

What a worker does, its messages and its settings belong to its user (:mod:`app.validation.pool`,
:mod:`app.batch.checker`, :mod:`app.pdf.worker`).
"""
