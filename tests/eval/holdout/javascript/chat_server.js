// Socket.IO chat. Deployed on Heroku with 3 web dynos.
const http = require('http');
const express = require('express');
const { Server } = require('socket.io');

const app = express();
const server = http.createServer(app);
const io = new Server(server);

const onlineUsers = new Map(); // userId -> socket.id

io.on('connection', (socket) => {
  socket.on('hello', ({ userId }) => {
    onlineUsers.set(userId, socket.id);
    io.emit('presence', [...onlineUsers.keys()]);
  });

  socket.on('dm', ({ to, text }) => {
    const target = onlineUsers.get(to);
    if (target) io.to(target).emit('dm', { text });
  });

  socket.on('disconnect', () => {
    for (const [userId, id] of onlineUsers) {
      if (id === socket.id) onlineUsers.delete(userId);
    }
  });
});

app.get('/online', (req, res) => res.json({ count: onlineUsers.size }));

server.listen(process.env.PORT || 3000);
