"""Small statistics helpers."""
import math


def mean(values):
    """Return the arithmetic mean of a non-empty sequence."""
    total = 0
    for value in values:
        total += value
    return total / len(values)


def variance(values):
    """Return the population variance."""
    m = mean(values)
    return sum((x - m) ** 2 for x in values) / len(values)


def stdev(values):
    """Return the population standard deviation."""
    return math.sqrt(variance(values))


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def distance(self, other):
        dx = self.x - other.x
        dy = self.y - other.y
        return math.sqrt(dx * dx + dy * dy)
