"""Autograd: requires_grad, backward, .grad, grad_fn, hooks, no_grad, detach, .data."""

import torch

x = torch.ones(5)  # input tensor
y = torch.zeros(3)  # expected output
w = torch.linspace(-1.0, 1.0, 15).reshape(5, 3).requires_grad_()
b = torch.tensor([0.1, -0.2, 0.3], requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")
print(loss.grad_fn.name(), len(z.grad_fn.next_functions), z.grad_fn.next_functions[1][1])
print(z.is_leaf, w.is_leaf, z.requires_grad)

loss.backward()
print(w.grad)
print(b.grad)

with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z_det = (torch.matmul(x, w) + b).detach()
print(z_det.requires_grad)

inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out))
print(f"Second call\n{inp.grad}")
inp.grad.zero_()
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out))
print(f"Call after zeroing gradients\n{inp.grad}")

# hooks and retain_grad
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = a * 2
h.retain_grad()
handle = a.register_hook(lambda g: g * 10)
(h * h).sum().backward()
print(h.grad, a.grad)
handle.remove()
a.grad = None
(a * a).sum().backward()
print(a.grad)

# .data shares storage and is outside the graph
p = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
p.data.add_(0.5)
print(p, p.data.norm(), p.grad is None)
(p * 3).sum().backward()
print(p.grad.data, p.grad.data.sum().item())

with torch.inference_mode():
    q = a * 2
print(q.requires_grad)
c = torch.tensor(2.0, requires_grad=True)
(g,) = torch.autograd.grad(c**3, c, create_graph=True)
(g2,) = torch.autograd.grad(g, c)
print(g.item(), g2.item())
