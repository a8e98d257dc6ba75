"""Rule codes of talent sharing (:mod:`cbec.talent`)."""

MESSAGES = {
    "talent_unknown_code": "{code} is not a {kind} of the talent vocabulary in force",
    "talent_period": "the period ends before it starts ({starts_on})",
    "talent_expert_publisher": "a regulator does not publish expert profiles",
    "talent_project_seller": "only a seller (an e-commerce enterprise) posts projects",
    "talent_benchmark": "not a salary benchmark in force on the first day (known: {known})",
    "talent_no_deliverable": "the engagement has no deliverable of that number",
    "talent_deliverable_step": "a deliverable that is {state} does not become {to}",
    "talent_deliverable_side": "this step of a deliverable is the {side}'s to make",
    "talent_rating_side": "only the project's seller rates the engagement",
    "talent_rated": "the engagement is rated: one rating per engagement",
    "talent_not_delivered": "an engagement is rated once every deliverable is accepted",
    "talent_project_closed": "the project is closed: open it again to match or engage on it",
}

KIND_NAMES = {
    "talent_expert": "expert profile",
    "talent_project": "talent project",
    "talent_engagement": "engagement",
}
