"""Staff identity at the edge: who is calling (Principal), what each access level may do (permissions),
and the token check behind every backoffice route (authorizer)."""
