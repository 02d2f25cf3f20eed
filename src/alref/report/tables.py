"""Tabular views of a campaign `Solution`, kept here for existing imports; they live in
`alref.campaign.solution_tables` (one layer down, so `Solution` can offer them itself)."""

from alref.campaign.solution_tables import (
    ACTION_BASE_COLUMNS,
    LOT_BASE_COLUMNS,
    SECONDS_PER_DAY,
    TIME_D,
    TIME_S,
    action_rows,
    actions_frame,
    lot_elements,
    lots_frame,
    summary_dict,
    timeseries_frame,
)

__all__ = ["ACTION_BASE_COLUMNS", "LOT_BASE_COLUMNS", "SECONDS_PER_DAY", "TIME_D", "TIME_S",
           "action_rows", "actions_frame", "lot_elements", "lots_frame", "summary_dict",
           "timeseries_frame"]
