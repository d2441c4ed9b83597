# "<project_id>/<user>", where user is an email address, a username or a user id.
terraform import membership_attackforge_project_team_member.jane 620f1707c66ef8821d35ee17/jane@example.com
