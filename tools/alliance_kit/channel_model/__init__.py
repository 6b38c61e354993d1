"""The channel-plan model."""
