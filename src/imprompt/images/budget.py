"""How many pictures of one job the daily budget pays for (the writer chooses among them).

The chain checks the budget before each paid call; this only decides how many calls to
start, so a job asking for four when the budget has room for two offers two. The free
pictogram generator draws as many as asked. Jobs of other rooms drawing at the same moment
are not counted here; the chain holds each paid call's price while it runs, so they cannot
overrun the budget together (a job may then get fewer paid pictures than it was offered).
The budget is each instance's own: several instances share no spending.
"""

from __future__ import annotations

from imprompt.images.chain import ImageChain


def affordable(chain: ImageChain, wanted: int) -> int:
    budget = chain.daily_budget_usd
    if budget is None or wanted <= 1:
        return wanted
    left = budget - chain.costbook.spent_today()
    for provider in chain.providers:  # the first provider the chain would not skip for the budget
        price = chain.prices.get(provider.name, 0.0)
        if provider.name in chain.local or price <= 0:
            return wanted
        paid_for = int((left + 1e-9) // price)
        if paid_for >= 1:
            return min(wanted, paid_for)
    return 1
