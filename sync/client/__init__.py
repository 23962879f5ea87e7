"""The desktop's side of the wire: the HTTP transport to the central, the credential store,
and (built on them) the sync engine. Never imports :mod:`sync.central`."""
