"""Studies at scale: sweeps, Monte Carlo, Sobol and Morris over a scenario.

`alref.study.runner.run_study` samples the factors (`alref.study.spec`,
`alref.study.sampling`), evaluates the samples in chunks with the batch engine
(`alref.campaign.batch`) on a local or Dask executor (`alref.study.executors`),
checkpoints into a catalogue and analyses the rows (`alref.study.analysis`).
"""
