window.YTD.account.part0 = [
  {"account": {"email": "jo@example.org", "createdVia": "web", "username": "jo_tester",
               "accountId": "1001", "createdAt": "2019-01-01T10:00:00.000Z",
               "accountDisplayName": "Jo Tester"}}
]
