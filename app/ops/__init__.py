"""Operations: structured logs with request ids, and Prometheus metrics."""
