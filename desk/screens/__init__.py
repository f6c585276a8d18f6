"""The desk trainer's screens, one class each: sign-in, scenario menu, the desk, the debrief."""
