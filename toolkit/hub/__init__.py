"""Online cohorts on JupyterHub: a join-code authenticator, the hub's configuration, the single-user app.

- ``authenticator``: participants sign in with the cohort's join code and get an
  anonymous user name; the facilitator signs in with the facilitator token.
- ``secrets``: where the hub reads the join code and the facilitator token
  (environment variables, or a file only its owner can read), never its config file.
- ``config``: ``bridges hub-config COHORT.yaml`` writes a ``jupyterhub_config.py``.
- ``singleuser``: ``bridges hub-singleuser COHORT.yaml``, the server each person's
  spawner starts: the participant app, or for the facilitator the dashboard.

- ``defaults``: the command's defaults, light enough for the command line to import.

The others need the ``hub`` extra (``pip install 'bridges-curriculum[hub]'``).
"""
