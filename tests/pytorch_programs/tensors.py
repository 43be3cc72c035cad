"""Tensors: creation, dtypes, shapes, devices, indexing, arithmetic, NumPy bridge."""

import numpy as np
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using {device} device")

data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
print(x_data, x_data.dtype)
np_array = np.array(data)
x_np = torch.from_numpy(np_array)
np_array[0, 0] = 10  # from_numpy shares memory
print(x_np)

x_ones = torch.ones_like(x_data)
x_rand = torch.zeros_like(x_data, dtype=torch.float)
print(x_ones, x_rand)

shape = (2, 3)
print(torch.ones(shape), torch.zeros(shape, device=device), torch.full((2,), 7.0))
tensor = torch.arange(12, dtype=torch.float32).reshape(3, 4).to(device)
print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")
print(tensor.size(), tensor.size(1), tensor.dim(), tensor.numel(), tensor.element_size())

print(f"First row: {tensor[0]}")
print(f"First column: {tensor[:, 0]}")
print(f"Last column: {tensor[..., -1]}")
tensor[:, 1] = 0
print(tensor)

t1 = torch.cat([tensor, tensor, tensor], dim=1)
print(t1.shape, torch.stack([tensor, tensor]).shape)

y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
print(y1, torch.equal(y1, y2), torch.allclose(y1, y3))
z1 = tensor * tensor
z3 = torch.zeros_like(tensor)
torch.mul(tensor, tensor, out=z3)
print(z1.sum(), torch.equal(z1, z3))
print(tensor.mm(tensor.t()).sum(), torch.bmm(tensor[None], tensor.t()[None]).shape)

agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item).__name__, f"{agg:.2f}")
tensor.add_(5)
print(tensor)

t = torch.ones(5)
n = t.numpy()
t.add_(1)
print(t, n)

a = torch.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])
b = torch.tensor([[0.0, 1.0, 2.0], [3.0, -4.0, 5.0]])
print(torch.max(a, b), torch.max(a), a.max(dim=1).values, a.argmax(1))
print(a.std(), a.std(unbiased=False), a.var(dim=0, unbiased=True), a.mean(dim=1, keepdim=True))
print(a.view(3, 2), a.view_as(b.t()).shape, a.reshape_as(b))
print(a.expand_as(torch.zeros(2, 2, 3)).shape)
print(a.new_ones(2), a.new_zeros((1, 2)), a.new_full((2,), 3.5), a.new_tensor([1, 2]))
print(a.clone().fill_(2.0), a.is_contiguous(), a.t().is_contiguous())
print(a.t().contiguous().is_contiguous())
print(a.float().dtype, a.double().dtype, a.long(), a.int().dtype, a.bool(), a.half().dtype)
print(a.type(), a.type(torch.int64), torch.is_tensor(a), torch.is_floating_point(a), torch.numel(a))
print(torch.isclose(a, a + 1e-9), a.tolist())
print(torch.Size([3, 4]), a.shape == (2, 3), torch.tensor(3.14159).item())
print(torch.get_default_dtype(), torch.float32 == torch.float, torch.long)
print(torch.finfo(torch.float32).eps)
