"""The domain of «Наставник»: rules, workflows, storage. Never imports Flask or ``web``."""
