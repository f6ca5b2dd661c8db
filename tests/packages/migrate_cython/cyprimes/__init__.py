from cyprimes._core import is_prime
from cyprimes._count import count_primes, largest_limit

__all__ = ["count_primes", "is_prime", "largest_limit"]
