"""The local RevRX stack as a library, shared by ``scripts/`` (``make run``, the benchmarks) and the tests.

* ``devstack.processes`` starts and stops Redis, migrations, the sandbox EHR, the web app and the RQ
  worker as real processes on free ports (``Stack``, ``start_redis``, ``free_port``, …);
* ``devstack.sandbox_process`` starts the sandbox EHR alone (``sandbox_running``);
* ``devstack.api_client``, ``devstack.app_client``, ``devstack.smart_launcher`` and
  ``devstack.sandbox_copies`` are scripted users of a running stack over real HTTP (an API user, a
  browser-less app user, SMART launches, encounters copied into the sandbox).

Scripts and tests both import from here and never from each other.
"""
