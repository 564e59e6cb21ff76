"""Everything about messages: subjects, envelope, codec, models and transports."""
