window.YTD.direct_messages.part0 = [
  {"dmConversation": {"conversationId": "1001-2002", "messages": [
    {"messageCreate": {"id": "9001", "senderId": "2002", "recipientId": "1001",
      "text": "Hi Jo, can I send you my reading list? Mail me at lee@example.net", "createdAt": "2025-03-05T09:00:00.000Z"}},
    {"messageCreate": {"id": "9002", "senderId": "1001", "recipientId": "2002",
      "text": "Yes please, it would help a lot.", "createdAt": "2025-03-05T09:20:00.000Z"}}]}}
]
