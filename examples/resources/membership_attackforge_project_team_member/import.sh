# "<project_id>/<user>", where user is an email address, a username or a user id.
# The API cannot read the member's access level or role: after the import the
# configured access_level is set in place and project_role is adopted as is.
terraform import membership_attackforge_project_team_member.jane 620f1707c66ef8821d35ee17/jane@example.com
