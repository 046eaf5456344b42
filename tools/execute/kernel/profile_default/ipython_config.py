# Kernel settings for tests and builds (tools/execute/execute.py copies this profile
# into .offline-data/ipython/ and points IPYTHONDIR there; learners never use it). The
# kernel reads this file too (IPython loads ipython_config.py before
# ipython_kernel_config.py), so one file serves both.
c = get_config()  # noqa: F821
# No history database.
c.HistoryManager.enabled = False
