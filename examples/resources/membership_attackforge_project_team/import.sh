# The project id. Members are imported keyed by email address, without access
# levels or roles (the API cannot read them): the configured access levels are
# then set in place and the project roles adopted as they are.
terraform import membership_attackforge_project_team.web_app 620f1707c66ef8821d35ee17
