# Kernel settings for tests and builds (IPYTHONDIR points here; learners never use it).
c = get_config()  # noqa: F821
# No history database written into the repository.
c.HistoryManager.enabled = False
