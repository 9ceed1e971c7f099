"""Local fakes of the outside world (feed servers, chat platforms) that real clients talk to."""
