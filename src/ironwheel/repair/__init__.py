"""Wheel repair: the project's own libraries, and grafting external ones with the platform's tool."""
