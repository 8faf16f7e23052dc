"""Messages to people: an outbox (``models.Message``, one per event, never sent twice), delivered by a
background task through a channel (e-mail, SMS), in the recipient's language (``services.send``)."""
