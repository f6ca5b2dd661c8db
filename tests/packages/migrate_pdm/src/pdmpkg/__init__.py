from pdmpkg._accel import accelerate

__all__ = ["accelerate"]
