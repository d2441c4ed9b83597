# The project id. Members are imported keyed by email address.
terraform import membership_attackforge_project_team.web_app 620f1707c66ef8821d35ee17
