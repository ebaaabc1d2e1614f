"""Sources of encounters (EHR launch, batch sync, file upload) and the coding runs over them."""
