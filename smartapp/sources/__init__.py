"""Where encounters come from: an EHR launch, a batch sync or the ingest API, and file uploads."""
