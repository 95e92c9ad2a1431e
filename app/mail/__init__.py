"""The invoice mail: composing it, the outbox that sends it once, the transports (SMTP, SES), the senders."""
