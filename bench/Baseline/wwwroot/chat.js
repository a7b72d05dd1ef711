// The baseline's page: /chat.html?chat=ID&user=USERID&name=USERNAME. Shows the newest page of history, appends
// live messages, loads older pages on request, and sends on Enter; the input is marked ready once connected.
(async () => {
    const query = new URLSearchParams(location.search);
    const chatId = Number(query.get("chat"));
    const list = document.querySelector(".message-list");
    const input = document.querySelector(".composer-input");
    const connection = new signalR.HubConnectionBuilder()
        .withUrl(`hub?user=${encodeURIComponent(query.get("user"))}&name=${encodeURIComponent(query.get("name"))}`)
        .build();

    const row = message => {
        const element = document.createElement("div");
        element.className = "message";
        element.dataset.seq = message.seq;
        const sender = document.createElement("span");
        sender.className = "message-sender";
        sender.textContent = message.senderName ?? "deleted user";
        const body = document.createElement("div");
        body.className = "message-body";
        body.textContent = message.body;
        element.append(sender, body);
        return element;
    };

    let older = null;
    const showOlderButton = firstSeq => {
        older?.remove();
        older = null;
        if (firstSeq > 1) {
            older = document.createElement("button");
            older.textContent = "Load older messages";
            older.onclick = async () => {
                const page = await connection.invoke("History", chatId, firstSeq);
                const fromBottom = list.scrollHeight - list.scrollTop; // keep the reader's place
                list.prepend(...page.map(row));
                list.scrollTop = list.scrollHeight - fromBottom;
                showOlderButton(page.length ? page[0].seq : 1);
            };
            list.prepend(older);
        }
    };

    connection.on("message", message => {
        const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
        list.append(row(message));
        if (atBottom) list.scrollTop = list.scrollHeight;
    });

    await connection.start();
    const newest = await connection.invoke("Join", chatId);
    list.append(...newest.map(row));
    list.scrollTop = list.scrollHeight;
    showOlderButton(newest.length ? newest[0].seq : 1);

    input.addEventListener("keydown", event => {
        if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            const text = input.value;
            input.value = "";
            if (text.trim()) connection.invoke("Send", chatId, text, crypto.randomUUID());
        }
    });
    input.dataset.ready = "true";
})();
