import enum


class ScaleCalculationMode(enum.Enum):
    FLOOR = "floor"
    CEIL = "ceil"
    EVEN = "even"
    RCEIL = "rceil"
