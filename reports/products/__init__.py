"""What the commands make, each a pipeline through the stages below: the monthly briefing
(``briefing``, its two-core overlap in ``forked``), delegation handouts (``handout``, many at
once in ``handout_batch``), the monthly run into the archive (``monthly``, ``archive``, a job's
view of the data in ``jobs``), time limits (``limits``), the terminal views (``terminal``,
the only module that imports rich).

May import: every subpackage (``data``, ``figures``, ``typeset``, ``pdf``) and
``reports.errors``. Only ``reports.cli`` imports it.
"""
