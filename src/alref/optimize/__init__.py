"""Optimisation on top of the campaign model.

`alref.optimize.service.blend` - refining-aware scrap blend (`alref blend`): linearised
pot responses (`linear_model`), MILP with chance constraints by HiGHS (`problem`, `milp`,
`robust`), verification by simulation and Monte Carlo (`verify`).
"""
