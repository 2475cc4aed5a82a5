"""A tiny example for `fim-lsp complete examples/fib.py:7:12`."""


def fib(n: int) -> int:
    if n < 2:
        return n
    return 


print(fib(10))
