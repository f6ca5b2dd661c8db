from mixed._fast import fast
from mixed._native import native
