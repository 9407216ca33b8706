document.getElementById("root")!.textContent = "Musher";
