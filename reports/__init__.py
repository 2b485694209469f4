"""招商引资工作简报生成器.

The data flows one way, one module per stage:

    load → validate → compute → format → render → write
    load.py  validate.py  compute.py  fmt.py  templating.py / render.py  output.py
"""

__version__ = "0.1.0"
