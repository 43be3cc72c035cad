"""Command-line training programs: ``train.mnist``, ``train.cifar10``, ``train.predict``."""
